package dev.kompact.optimizer.model;

/** Operators of node selector requirements and label selector expressions ({@code Gt}/{@code Lt} only for nodes). */
public enum SelectorOperator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
    Gt,
    Lt
}
