# Factmark web image: gunicorn serving Django; static files via WhiteNoise.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FACTMARK_ENV=production

WORKDIR /app
RUN useradd --system --uid 10001 --home /app factmark

COPY requirements.txt .
RUN pip install --no-cache-dir "pip==25.3" && pip install --no-cache-dir -r requirements.txt

COPY . .
# collectstatic needs settings to load; a build-time key is never used at run time.
RUN SECRET_KEY=build-only-$(python -c 'import secrets; print(secrets.token_urlsafe(64))') \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    python manage.py collectstatic --noinput -v0 \
 && rm -rf var && mkdir var && chown factmark var

USER factmark
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
