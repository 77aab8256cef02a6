# FSR Coach under gunicorn. No secrets inside: settings come from the
# environment at run time (see .env.example).
FROM python:3.11-slim

# PYTHONPATH: the scripts import the package from /app.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    BIND=0.0.0.0:8000

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY fsr_coach ./fsr_coach
COPY schema ./schema
COPY scripts/load_schema.py scripts/seed.py ./scripts/
COPY scripts/ops/accounts_sql.py ./scripts/ops/
COPY wsgi.py gunicorn.conf.py ./

RUN useradd --system --uid 10001 --no-create-home fsr
USER fsr

EXPOSE 8000
CMD ["gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"]
