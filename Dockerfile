# syntax=docker/dockerfile:1
# Node 22 LTS (Node 20 reached end of life in April 2026); package.json's engines still allows >= 20.18.
# One image for every command: `run`, `serve` (the evaluation workspace) and `worker`.
# Build stage: compile TypeScript with the dev toolchain.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY harness ./harness
COPY fixtures ./fixtures
RUN npm ci --no-audit --no-fund

# Runtime stage: production dependencies and compiled output only, as a non-root user.
FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY profiles ./profiles
COPY reports/README.md reports/report.schema.json ./reports/
RUN ln -s /app/dist/cli/bin.js /usr/local/bin/interop-harness \
 && mkdir -p /work /data && chown node:node /work /data
USER node
WORKDIR /work
# `serve` listens on 8080; `serve --host 0.0.0.0` inside a container, published with -p.
EXPOSE 8080
# The embedded database of `serve --data /data` (mount a volume there to keep it).
VOLUME ["/data"]
ENTRYPOINT ["node", "/app/dist/cli/bin.js"]
CMD ["--help"]
