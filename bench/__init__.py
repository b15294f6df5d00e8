"""The benchmark and its data generator; a package so that tests import `bench.generate`."""
