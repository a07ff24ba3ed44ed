FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=rehab.settings.production
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# collectstatic needs settings but no secrets or database.
RUN SECRET_KEY=build-only-collectstatic-reads-settings-but-never-signs-anything ALLOWED_HOSTS=localhost python manage.py collectstatic --no-input
RUN useradd --system --uid 1000 kinetic && chown -R kinetic /app
USER kinetic
EXPOSE 8000
CMD ["gunicorn", "rehab.wsgi:application"]  # settings in gunicorn.conf.py
