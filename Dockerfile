FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md LICENSE ./
COPY src ./src
RUN pip install --no-cache-dir . && useradd --create-home catalogsvc
USER catalogsvc
ENV CATALOGSVC_DATA_DIR=/home/catalogsvc/data
EXPOSE 8000
CMD ["catalogsvc", "serve", "--host", "0.0.0.0", "--port", "8000"]
