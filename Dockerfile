# The single-container variant: the service on SQLite, its database on a volume.
FROM python:3.11-slim
WORKDIR /srv/outreach
COPY pyproject.toml README.md ./
COPY outreach ./outreach
COPY geo ./geo
COPY static ./static
RUN pip install --no-cache-dir . && useradd --system outreach && mkdir /data \
    && chown outreach /data
USER outreach
ENV OUTREACH_HOST=0.0.0.0 \
    OUTREACH_PORT=8000 \
    OUTREACH_DATABASE_URL=sqlite:////data/outreach.db
VOLUME /data
EXPOSE 8000
HEALTHCHECK CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"
CMD ["outreach", "serve"]
