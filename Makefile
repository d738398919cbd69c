# tscompose: build the CLI, run the Inception stack in srcs/, run every test.
# `make up` and `make test` work on a fresh Debian 12 machine as root: they install and start the
# Docker engine and build the debian:bookworm base image by themselves when those are missing.

COMPOSE_FILE := srcs/docker-compose.yml
TSCOMPOSE    := node dist/cli.js
PROJECT      := inception
# what every developer and CI have beside the project (DESIGN.md, the bench stacks, Compose v2)
SHARED       ?= ../shared
SOURCES      := $(shell find src -name '*.ts') package.json scripts/build.mjs

.PHONY: all up down ps logs watch clean fclean re test lint bench engine base-image

all: up

# --- set-up, each step skipped when already done -------------------------------------------------
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

dist/cli.js: node_modules/.package-lock.json $(SOURCES)
	npm run --silent build

engine:
	@scripts/ensure-engine.sh

base-image: engine
	@scripts/ensure-base-image.sh

# --- the Inception stack -------------------------------------------------------------------------
up: dist/cli.js base-image
	$(TSCOMPOSE) -f $(COMPOSE_FILE) -p $(PROJECT) up -d --build --wait

down: dist/cli.js engine
	$(TSCOMPOSE) -f $(COMPOSE_FILE) -p $(PROJECT) down

ps: dist/cli.js engine
	$(TSCOMPOSE) -f $(COMPOSE_FILE) -p $(PROJECT) ps

logs: dist/cli.js engine
	$(TSCOMPOSE) -f $(COMPOSE_FILE) -p $(PROJECT) logs -f

watch: dist/cli.js base-image
	$(TSCOMPOSE) -f $(COMPOSE_FILE) -p $(PROJECT) watch --build-context

clean: down

fclean: dist/cli.js engine
	$(TSCOMPOSE) -f $(COMPOSE_FILE) -p $(PROJECT) down -v --rmi local

re: fclean up

# --- quality -------------------------------------------------------------------------------------
lint: node_modules/.package-lock.json
	npm run --silent typecheck
	npm run --silent lint

test: lint dist/cli.js base-image
	npx vitest run

bench: dist/cli.js base-image
	node bench/cli-startup.mjs
	$(SHARED)/bench/compare -n 3 -- node dist/cli.js -- docker compose
	SHARED=$(SHARED) bench/up-memory.sh 100
