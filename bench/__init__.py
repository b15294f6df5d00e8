"""The benchmarks, a package run from the repository's root: `python -m bench.run` (loaders),
`bench.analytics`, `bench.bulk`, `bench.serve`; `bench.generate` writes the Crunchbase-shaped exports
they and the tests use, `bench.harness` holds what the scripts share."""
