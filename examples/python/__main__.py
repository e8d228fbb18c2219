"""Per-environment Limitly keys from Python: a plan, a user, a key, a rotating partner key and the plan's usage."""
import pulumi
import pulumi_limitly as limitly

config = pulumi.Config()
env = pulumi.get_stack()
rotation = config.get("rotation") or "2026-11"

plan = limitly.Plan(
    "plan",
    name=f"{env} plan",
    max_requests=config.get_int("maxRequests") or 100_000,
    request_period="month",
)
team = limitly.User("team", name=f"{env} team", email="team@example.com", plan_id=plan.id)

web = limitly.ApiKey(
    "web",
    name=f"{env} web",
    user_id=team.user_id,
    plan_id=plan.id,
    metadata={"environment": env},
    rotation=rotation,
)
# Rotating keeps the previous value working for a week, so a partner can switch at their pace.
partner = limitly.RotatingApiKey(
    "partner",
    name=f"{env} partner",
    user_id=team.user_id,
    plan_id=plan.id,
    rotation=rotation,
    grace_period="7d",
)
usage = limitly.get_plan_usage_output(plan_id=plan.id)

pulumi.export("planId", plan.id)
pulumi.export("webKeyId", web.id)
pulumi.export("webKey", web.api_key)  # secret: pulumi stack output --show-secrets webKey
pulumi.export("partnerKey", partner.api_key)
pulumi.export("previousPartnerKey", partner.previous_api_key)
pulumi.export("planRequests", usage.total_requests)
