"""Code shared by the Bascule model images (whisper, tts, trocr).

Copied into each image at build time (see each Dockerfile): JSON logging, Prometheus metrics, the bounded
GPU queue, in-memory request body parsing, the model runtime (load, warm-up, readiness) and the FastAPI
application factory that ties them together.
"""
