"""Benchmarks: `make bench` prints throughput, latency and memory figures. Never run as tests."""
