"""The built-in mini evaluations: small labelled sets per task (resources/eval/) and their
scores. Small checks of one model against another on this machine, not benchmarks."""
