# The two commands of the README: `make demo` and `make test`.
.PHONY: demo test setup lint format serve

setup:
	@scripts/bootstrap.sh

demo: setup
	.venv/bin/sulieu demo
	.venv/bin/sulieu serve --host 127.0.0.1 --port $${PORT:-8000}

test: setup
	scripts/test.sh

lint: setup
	.venv/bin/ruff check .

format: setup
	.venv/bin/ruff format .
