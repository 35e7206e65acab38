# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell md5sum requirements.txt | cut -c1-12)
DB     := data/warehouse.duckdb
PORT   ?= 8501

.PHONY: install install-spark run test test-spark demo bench clean-data

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# The Spark engine of the metrics (docs/deployment.md): not part of `make run`.
SPARK_STAMP := $(VENV)/.spark-$(shell md5sum requirements-spark.txt | cut -c1-12)
$(SPARK_STAMP): requirements-spark.txt | $(STAMP)
	$(PY) -m pip install --quiet -r requirements-spark.txt
	rm -f $(VENV)/.spark-*
	touch $(SPARK_STAMP)

install-spark: $(SPARK_STAMP)

# The demo warehouse is built only when there is none: real data loaded later is never overwritten.
$(DB): | $(STAMP)
	$(PY) -m etl demo

demo: install
	$(PY) -m etl demo

run: install $(DB)
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

test: install
	$(PY) -m pytest

# The same metrics on Spark SQL must give the same CSV; REQUIRE_SPARK=1 turns a skip into a failure.
test-spark: install-spark
	REQUIRE_SPARK=1 $(PY) -m pytest -q tests/test_spark_metrics.py

bench: install
	$(PY) -m bench

clean-data:
	rm -rf data/warehouse.duckdb data/warehouse.duckdb.wal data/demo
