package dev.kompact.optimizer.plan;

import java.util.List;

/** Whether a plan is worth carrying out, and if not, every reason why not. */
public record Decision(boolean proposed, List<String> reasons) {

    public Decision {
        reasons = List.copyOf(reasons);
    }
}
