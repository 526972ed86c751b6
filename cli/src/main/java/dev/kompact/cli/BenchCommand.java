package dev.kompact.cli;

import picocli.CommandLine.Command;

/** Benchmarks that print figures; they measure, they do not test. */
@Command(
        name = "bench",
        description = "Measure Kompact's solver against a peer on generated problems and print the figures.",
        subcommands = {PackingBenchCommand.class})
final class BenchCommand {}
