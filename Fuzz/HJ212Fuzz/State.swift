import HJ212Fuzzing

/// The oracle's state, a lazily initialised global outside main.swift: under `-sanitize=fuzzer`
/// libFuzzer's own `main` runs, so main.swift's top-level code (and its globals) never would.
/// libFuzzer calls the entry points from one thread.
nonisolated(unsafe) var oracle = HJ212Oracle()
