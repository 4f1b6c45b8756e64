"""Benchmarks of the platform: ``python -m bench [names...] [--quick]`` (``make bench``).

One module per benchmark, each registering itself with :func:`bench.registry.benchmark`;
``bench.registry.MODULES`` lists them. Figures go to ``bench/results/latest.json`` with a
description of the machine. A benchmark reports targets but never fails because of one.
"""
