# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
# collectstatic needs settings only, not a database; the key is a build-time throwaway.
RUN SECRET_KEY=$(python -c "import secrets; print(secrets.token_urlsafe(50))") DEBUG=false python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --home /app opendoors \
    && mkdir -p /app/var && chown -R opendoors /app/var
USER opendoors

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
