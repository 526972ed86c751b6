package dev.kompact.optimizer.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Whether a plan is worth carrying out, and if not, every reason why not. {@code violations} are the rules the
 * independent {@code PlanVerifier} found the plan breaking: a plan with any is rejected and never carried out.
 */
public record Decision(
        boolean proposed,
        List<String> reasons,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> violations) {

    public Decision {
        reasons = List.copyOf(reasons);
        violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public Decision(boolean proposed, List<String> reasons) {
        this(proposed, reasons, List.of());
    }

    static Decision rejected(List<String> violations) {
        return new Decision(
                false,
                List.of("the independent check rejects the plan: it breaks " + violations.size()
                        + " rule(s), so it is not carried out"),
                violations);
    }

    public boolean rejected() {
        return !violations.isEmpty();
    }
}
