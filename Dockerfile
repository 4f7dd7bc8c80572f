# syntax=docker/dockerfile:1
# flagstack API container (DESIGN.md §7: node:22-slim is the deploy runtime).
#
#   docker build -t flagstack .                              # the API
#   docker build -t flagstack --build-arg APP_DYNAMICS=on .  # the API with the AppDynamics Node.js agent
#
# The agent is never a package.json dependency: its npm install downloads native parts from the vendor's CDN and
# declares Node <= 21 (IAC-NOTES.md §E). With APP_DYNAMICS=on it is installed here, on the builder's side; the
# container then starts it when run with APP_DYNAMICS=on and /etc/appdynamics.cfg mounted.
ARG NODE_IMAGE=node:22-slim

# ---- build: bundle the server with esbuild (all dependencies, dev included) ----
FROM ${NODE_IMAGE} AS build
WORKDIR /src
# better-sqlite3 compiles from source when no prebuilt binary matches the platform.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts/postinstall.js scripts/postinstall.js
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts ./scripts
COPY api/src ./api/src
RUN npm run build -- --only server
# The admin UI is served by the API from dist/ui (built by Vite from api/ui).
COPY api/ui ./api/ui
RUN npm run build:ui

# ---- prod-deps: production dependencies only, plus the agent when asked for ----
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts/postinstall.js scripts/postinstall.js
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
ARG APP_DYNAMICS=off
ARG APPDYNAMICS_AGENT_VERSION=24.4.1
RUN if [ "$APP_DYNAMICS" = "on" ]; then \
      npm install --no-save --no-audit --no-fund --omit=optional "appdynamics@${APPDYNAMICS_AGENT_VERSION}" && npm cache clean --force; \
    fi

# ---- runtime ----
FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    PORT=8000 \
    HOST=0.0.0.0
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /src/dist/server ./dist/server
COPY --from=build /src/dist/ui ./dist/ui
COPY package.json ./
COPY bin/flagstack.js ./bin/flagstack.js
# The default DATABASE_URL (sqlite:./data/flagstack.db) needs a writable data directory.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 8000
# node:22-slim has neither curl nor wget: Node's own fetch asks the liveness endpoint.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health/liveness').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The CLI bundle starts the AppDynamics agent first when APP_DYNAMICS=on; SIGTERM drains in-flight requests.
CMD ["node", "dist/server/cli.js", "serve"]
