"""The benchmarks' own Django site: the project's settings and URLs plus a hello-world view, so a
page's cost can be told apart from the server's and Django's own (bench/side_by_side.py)."""
