package dev.kompact.optimizer.model;

public record Taint(String key, String value, TaintEffect effect) {}
