# One image for web (gunicorn), worker, beat and the one-shot migrate service.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=rehab.settings.production LOG_FORMAT=json PORT=8000
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# .dockerignore keeps .env, .venv, databases, .git and test output out.
COPY . .
# collectstatic reads the production settings but signs nothing and connects
# to nothing: build-only values satisfy their checks.
RUN SECRET_KEY=build-only-collectstatic-reads-settings-but-never-signs-anything \
    ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build:build-only@localhost/build \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --no-input
# The code stays root's and read-only for the app user.
RUN useradd --system --uid 1000 --no-create-home kinetic
# Uploaded pictures (MEDIA_ROOT): the one directory the app writes; the
# compose `media` volume mounted here starts with this owner.
RUN mkdir -p /app/media && chown kinetic /app/media
USER kinetic
EXPOSE 8000
# Settings (bind 0.0.0.0:$PORT, workers, JSON access log) are in gunicorn.conf.py.
CMD ["gunicorn", "rehab.wsgi:application"]
