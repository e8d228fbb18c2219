/**
 * The type tokens the key resources have in a stack: `pulumi-nodejs:dynamic/<module>:<type>`, as the
 * SDK composes them from the module and type each class passes to `dynamic.Resource`. Read by code
 * that inspects stacks (`limitly keys orphans`, the policy pack); nothing here loads Pulumi.
 */
export const API_KEY_TYPE = "pulumi-nodejs:dynamic/limitly:ApiKey";
export const ROTATING_API_KEY_TYPE = "pulumi-nodejs:dynamic/limitly:RotatingApiKey";
