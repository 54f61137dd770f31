# One image per service: docker build -f deploy/service.Dockerfile --build-arg SERVICE=feedback .
FROM python:3.12-slim
ARG SERVICE
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy SERVICE=${SERVICE}
RUN pip install --no-cache-dir "uv==0.13.9"
WORKDIR /app
COPY pyproject.toml uv.lock ./
COPY shared ./shared
COPY services ./services
RUN uv sync --frozen --no-dev --package forum-${SERVICE}
RUN useradd --uid 1000 --create-home forum
USER forum
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
CMD ["sh", "-c", "python -m ${SERVICE}"]
