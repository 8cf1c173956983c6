# One image for every scoreboard role: the ranking server, an HTTP client, nginx, or the launcher
# running all of them. It runs as the unprivileged "node" user.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN npm install --global pnpm@10.34.9
COPY . .
RUN pnpm install --frozen-lockfile \
 && pnpm run build \
 && pnpm install --frozen-lockfile --prod

FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /app/.run /app/data && chown node:node /app/.run /app/data
USER node
ENV HOST=0.0.0.0 NODE_ENV=production
VOLUME /app/data
EXPOSE 8080 8000 8001 5555 5556 9464
# Default role: the whole system in one container (server, clients, nginx on 8080).
CMD ["node", "packages/launcher/dist/launcher.mjs"]
