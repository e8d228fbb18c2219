// Per-environment Limitly keys from Java: a plan, a user, a key, a rotating partner key and the plan's usage.
package myproject;

import com.pulumi.Pulumi;
import com.pulumi.core.Either;
import com.pulumi.core.Output;
import com.pulumi.limitly.ApiKey;
import com.pulumi.limitly.ApiKeyArgs;
import com.pulumi.limitly.LimitlyFunctions;
import com.pulumi.limitly.Plan;
import com.pulumi.limitly.PlanArgs;
import com.pulumi.limitly.RotatingApiKey;
import com.pulumi.limitly.RotatingApiKeyArgs;
import com.pulumi.limitly.User;
import com.pulumi.limitly.UserArgs;
import com.pulumi.limitly.inputs.GetPlanUsageArgs;
import java.util.Map;

public class App {
    public static void main(String[] args) {
        Pulumi.run(ctx -> {
            var config = ctx.config();
            var env = ctx.stackName();
            var rotation = config.get("rotation").orElse("2026-11");

            var plan = new Plan("plan", PlanArgs.builder()
                .name(env + " plan")
                .maxRequests(config.getInteger("maxRequests").orElse(100_000))
                .requestPeriod("month")
                .build());
            var team = new User("team", UserArgs.builder()
                .name(env + " team")
                .email("team@example.com")
                .planId(plan.id())
                .build());
            // A key's userId takes Limitly's number (or its text): the user's number, once Limitly has assigned it.
            Output<Either<Integer, String>> userId = team.userId().applyValue(id -> Either.ofLeft(id.orElseThrow()));

            var web = new ApiKey("web", ApiKeyArgs.builder()
                .name(env + " web")
                .userId(userId)
                .planId(plan.id())
                .metadata(Map.of("environment", env))
                .rotation(rotation)
                .build());
            // Rotating keeps the previous value working for a week, so a partner can switch at their pace.
            var partner = new RotatingApiKey("partner", RotatingApiKeyArgs.builder()
                .name(env + " partner")
                .userId(userId)
                .planId(plan.id())
                .rotation(rotation)
                .gracePeriod("7d")
                .build());
            var usage = LimitlyFunctions.getPlanUsage(GetPlanUsageArgs.builder().planId(plan.id()).build());

            ctx.export("planId", plan.id());
            ctx.export("webKeyId", web.id());
            ctx.export("webKey", web.apiKey()); // secret: pulumi stack output --show-secrets webKey
            ctx.export("partnerKey", partner.apiKey());
            ctx.export("previousPartnerKey", partner.previousApiKey());
            ctx.export("planRequests", usage.applyValue(u -> u.totalRequests().orElse(0)));
        });
    }
}
