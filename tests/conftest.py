"""Test-session settings.

``storyline process`` parses in child processes forked from the running one by default.
Forking a process that runs threads (the test servers', DuckDB's) can leave a child stuck on
a lock one of those threads held, so commands run in this process (click's CliRunner) parse
in-process; the forked parse is tested in fresh processes (tests/test_speed_paths.py).
"""
import os

os.environ["STORYLINE_PARSE_PROCESSES"] = "1"
