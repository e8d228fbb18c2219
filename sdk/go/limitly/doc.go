// Limitly API keys, plans and users as Pulumi resources.
package limitly
