// Per-environment Limitly keys from Go: a plan, a key, a rotating partner key and the plan's usage.
package main

import (
	"fmt"

	"github.com/pulumi-limitly/pulumi-limitly/sdk/go/limitly"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		env := ctx.Stack()
		rotation := config.Get(ctx, "rotation")
		if rotation == "" {
			rotation = "2026-11"
		}
		maxRequests := config.GetInt(ctx, "maxRequests")
		if maxRequests == 0 {
			maxRequests = 100000
		}
		plan, err := limitly.NewPlan(ctx, "plan", &limitly.PlanArgs{
			Name:          pulumi.String(fmt.Sprintf("%s plan", env)),
			MaxRequests:   pulumi.Int(maxRequests),
			RequestPeriod: pulumi.String("month"),
		})
		if err != nil {
			return err
		}
		web, err := limitly.NewApiKey(ctx, "web", &limitly.ApiKeyArgs{
			Name:     pulumi.String(fmt.Sprintf("%s web", env)),
			PlanId:   plan.ID().ToStringOutput(),
			Rotation: pulumi.String(rotation),
		})
		if err != nil {
			return err
		}
		partner, err := limitly.NewRotatingApiKey(ctx, "partner", &limitly.RotatingApiKeyArgs{
			Name:        pulumi.String(fmt.Sprintf("%s partner", env)),
			PlanId:      plan.ID().ToStringOutput(),
			Rotation:    pulumi.String(rotation),
			GracePeriod: pulumi.String("7d"),
		})
		if err != nil {
			return err
		}
		usage := limitly.GetPlanUsageOutput(ctx, limitly.GetPlanUsageOutputArgs{PlanId: plan.ID().ToStringOutput()})
		ctx.Export("planId", plan.ID())
		ctx.Export("webKeyId", web.ID())
		ctx.Export("webKey", web.ApiKey) // secret
		ctx.Export("partnerKey", partner.ApiKey)
		ctx.Export("planRequests", usage.TotalRequests())
		return nil
	})
}
