# The app image: one stateless process; scale it out behind a load balancer (sticky sessions or websocket-only clients).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY apps/server/package.json apps/server/
COPY apps/web/package.json apps/web/
# Optional packages stay: Vite's bundler (rolldown) loads its native binding from one.
RUN npm ci
COPY . .
RUN npm run build

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# 1000:1000 is the base image's `node` user. It may write only DATA_DIR (./data): embedded mode (no DATABASE_URL)
# keeps its database and generated secrets there, so mount a volume on it to keep them across containers.
RUN mkdir data && chown 1000:1000 data
VOLUME /app/data
USER 1000:1000
EXPOSE 3000
CMD ["node", "apps/server/dist/main.js"]
