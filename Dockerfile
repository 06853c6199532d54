# The service image: `api` and `worker` in docker-compose.yml run it with different commands.
# Production runs compiled code and a workflow bundle built once here (npm run build), as
# `npm run cluster` does; the image holds no TypeScript and no development tools.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY config ./config
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
COPY web ./web
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js", "api"]
