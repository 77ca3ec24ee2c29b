"""`make bench`: the timeline benchmark (bench/run.py). Not part of the product."""
