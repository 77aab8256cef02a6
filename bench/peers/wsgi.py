"""The peer that BENCH_PEER names (option1, option3 or floor), for
``gunicorn -c gunicorn.conf.py wsgi:app`` run from bench/peers, as
bench/versus.py runs it: the same command and gunicorn.conf.py as ours."""
import importlib
import os

app = importlib.import_module(os.environ["BENCH_PEER"]).app
