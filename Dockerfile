# syntax=docker/dockerfile:1
# Build stage: compile TypeScript with the dev toolchain.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json tsconfig.json tsconfig.build.json ./
COPY harness ./harness
COPY fixtures ./fixtures
RUN npm ci --no-audit --no-fund

# Runtime stage: production dependencies and compiled output only, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY profiles ./profiles
COPY reports/README.md reports/report.schema.json ./reports/
RUN ln -s /app/dist/harness/cli/bin.js /usr/local/bin/interop-harness \
 && mkdir -p /work && chown node:node /work
USER node
WORKDIR /work
ENTRYPOINT ["node", "/app/dist/harness/cli/bin.js"]
CMD ["--help"]
