FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml setup.py README.md LICENSE ./
COPY src ./src
COPY migrations ./migrations
# The PostgreSQL driver and procrastinate come along, so one image serves every mode.
RUN pip install --no-cache-dir '.[postgresql]' && useradd --create-home catalogsvc
USER catalogsvc
ENV CATALOGSVC_DATA_DIR=/home/catalogsvc/data
EXPOSE 8000
CMD ["catalogsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]
