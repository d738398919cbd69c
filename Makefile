# tscompose: build the CLI, run the Inception stack in srcs/, run every test.
# `make up` and `make test` work on a fresh Debian 12 machine as root: they install and start the
# Docker engine and build the debian:bookworm base image by themselves when those are missing.

COMPOSE_FILE := srcs/docker-compose.yml
TSCOMPOSE    := node dist/cli.js
# The Compose implementation that runs the stack: tscompose. `make up COMPOSE="docker compose"` runs
# the same files with Docker Compose v2, for comparison.
COMPOSE      ?= $(TSCOMPOSE)
PROJECT      ?= inception
# what every developer and CI have beside the project (DESIGN.md, the bench stacks, Compose v2)
SHARED       ?= ../shared
SOURCES      := $(shell find src -name '*.ts') package.json scripts/build.mjs
# Compose's own `config` output for the shared cases (../shared/conformance/README.md); the project's
# own cases in test/fixtures/conformance run in vitest
CONFORMANCE  ?= $(SHARED)/conformance/run

# LOGIN comes from srcs/.env unless the environment sets it (LOGIN=jdoe make up); exported, so that
# Compose interpolates the same value into the domain name and the data directories.
ifeq ($(origin LOGIN),undefined)
LOGIN := $(shell sed -n 's/^LOGIN=//p' srcs/.env)
endif
export LOGIN
DATA_DIR := /home/$(LOGIN)/data
DOMAIN   := $(LOGIN).42.fr
SECRETS  := $(patsubst %,secrets/%.txt,db_root_password db_password wp_admin_password wp_user_password ftp_password)
STACK    := $(COMPOSE) -f $(COMPOSE_FILE) -p $(PROJECT)
# /etc/hosts and the data directories need root: sudo when make does not run as root.
AS_ROOT  := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: all up bonus down ps logs watch backup clean fclean re setup secrets data-dirs hosts deploy undeploy \
	test lint bench engine base-image compose-v2

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

# Docker Compose v2, the reference that the interoperability tests and benchmarks run beside tscompose
compose-v2: engine
	@scripts/ensure-compose-v2.sh

# --- the Inception stack -------------------------------------------------------------------------
up: dist/cli.js base-image setup
	$(STACK) up -d --build --wait

bonus: dist/cli.js base-image setup
	$(STACK) --profile bonus up -d --build --wait

# The bonus profile is active for down/ps/logs so that they see the bonus services too when they run.
down: dist/cli.js engine
	$(STACK) --profile bonus down

ps: dist/cli.js engine
	$(STACK) --profile bonus ps

logs: dist/cli.js engine
	$(STACK) --profile bonus logs -f

watch: dist/cli.js base-image setup
	$(STACK) watch --build-context

backup: dist/cli.js engine
	$(STACK) --profile bonus exec backup backup

clean: down

# The same stack on Docker Swarm (the engine must be a swarm manager: docker swarm init).
deploy: dist/cli.js base-image setup
	$(STACK) deploy --wait

undeploy: dist/cli.js engine
	$(STACK) undeploy

# Everything the stack made: containers, network, volumes, its images, and the data in $(DATA_DIR).
# The secrets stay (they are yours; delete secrets/ by hand to get new passwords).
fclean: dist/cli.js engine
	$(STACK) --profile bonus down --volumes --rmi all --remove-orphans
	$(if $(LOGIN),$(AS_ROOT) rm -rf $(DATA_DIR),$(error LOGIN is empty: set it in srcs/.env))

re:
	@$(MAKE) --no-print-directory fclean
	@$(MAKE) --no-print-directory up

# --- what the stack needs on the host, each step done once --------------------------------------
setup: secrets data-dirs hosts

# Random passwords, made once. The directory is private (0700); the files are readable (0644) so that
# the services that read them as an unprivileged user (php-fpm's www-data) can once mounted.
secrets: $(SECRETS)

secrets/%.txt:
	@mkdir -p secrets && chmod 700 secrets
	@LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32 >$@.part && chmod 644 $@.part && mv $@.part $@
	@echo "made $@ (a random password)"

data-dirs:
	$(if $(LOGIN),,$(error LOGIN is empty: set it in srcs/.env))
	@test -d $(DATA_DIR)/mariadb -a -d $(DATA_DIR)/wordpress -a -d $(DATA_DIR)/backups \
		|| $(AS_ROOT) mkdir -p $(DATA_DIR)/mariadb $(DATA_DIR)/wordpress $(DATA_DIR)/backups

# $(DOMAIN) → 127.0.0.1, added once: nothing is written when /etc/hosts already names it.
hosts:
	@awk -v d='$(DOMAIN)' '$$1 !~ /^#/ { for (i = 2; i <= NF; i++) if ($$i == d) found = 1 } \
		END { exit !found }' /etc/hosts \
		|| { echo '127.0.0.1 $(DOMAIN)' | $(AS_ROOT) tee -a /etc/hosts >/dev/null && echo 'added $(DOMAIN) to /etc/hosts'; }

# --- quality -------------------------------------------------------------------------------------
lint: node_modules/.package-lock.json
	npm run --silent typecheck
	npm run --silent lint

test: lint dist/cli.js base-image
	npx vitest run
	TSCOMPOSE_ENGINE_RESTART=1 npx vitest run --project engine-restart
	@if [ -x $(CONFORMANCE) ]; then $(CONFORMANCE) $(TSCOMPOSE); \
	else echo "make test: NOT RUN: the shared Compose-conformance cases ($(CONFORMANCE) is missing; set SHARED=...)." \
		"The project's own cases ran in vitest (test/unit/compose/conformance-cases.test.ts)." >&2; fi

bench: dist/cli.js base-image compose-v2
	node bench/cli-startup.mjs
	$(SHARED)/bench/compare -n 3 -- node dist/cli.js -- docker compose
	SHARED=$(SHARED) bench/up-memory.sh 100
	node bench/build-context-memory.mjs
	node bench/build.mjs
	node bench/config.mjs
	node bench/watch.mjs
