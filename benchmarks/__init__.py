"""Benchmarks: `make bench` (`python -m benchmarks`) compares each of the forum's paths with the
simplest program doing the same raw work, and prints the ratios against their targets. Never run
as tests (tests/test_benchmarks_run.py only checks that they still run).

    __main__.py    the command line, the table and its JSON (benchmarks/results/latest.json)
    common.py      figures over rounds, rows and targets, databases, nats-server, processes
    loadgen.py     the HTTP load generator, run as a process of its own
    intake.py  relay.py  consume.py  end_to_end.py  search.py  footprint.py    one path each
    baselines/     the bare programs: a FastAPI + SQLAlchemy app, raw nats-py, the search's SQL
"""
