# planmetrics. `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
# duckdb-go's Arrow API needs this tag; every target uses it.
TAGS := duckdb_arrow
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X planmetrics/internal/buildinfo.Version=$(VERSION)
BIN := bin/planmetrics
GOFLAGS_ALL := -tags=$(TAGS)
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck
FUZZTIME ?= 10s

.PHONY: help build run test bench fuzz lint vet fmt clean sample docs preview

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

build: ## build bin/planmetrics
	$(GO) build $(GOFLAGS_ALL) -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/planmetrics

run: build ## run the nightly job on the sample data in data/
	./$(BIN) run

test: ## run every test (vet included)
	$(GO) vet $(GOFLAGS_ALL) ./...
	$(GO) test $(GOFLAGS_ALL) -race -count=1 -timeout 40m ./...

bench: ## print ingest and build throughput on the hackney sample
	$(GO) test $(GOFLAGS_ALL) -run '^$$' -bench . -benchmem -benchtime 3x ./...

fuzz: ## run each fuzz target briefly (FUZZTIME=10s)
	@set -e; for pkg in $$($(GO) list $(GOFLAGS_ALL) ./internal/...); do \
	  for t in $$($(GO) test $(GOFLAGS_ALL) -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; $(GO) test $(GOFLAGS_ALL) -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 5s $$pkg; \
	  done; done

lint: vet ## gofmt, go vet and staticcheck
	@test -z "$$(gofmt -l cmd internal pipelines seeds)" || (gofmt -l cmd internal pipelines seeds; exit 1)
	test -x $(STATICCHECK) || $(GO) install honnef.co/go/tools/cmd/staticcheck@latest
	$(STATICCHECK) -tags $(TAGS) ./...

vet:
	$(GO) vet $(GOFLAGS_ALL) ./...

fmt: ## gofmt the tree
	gofmt -w cmd internal pipelines seeds

sample: build ## regenerate the sample returns in data/inbox
	./$(BIN) generate --scale hackney --seed 2026 --out data/inbox --format mixed

docs: build ## regenerate docs/data-dictionary.md
	./$(BIN) metrics --format markdown > docs/data-dictionary.md

PREVIEW_DIR := docs/preview

preview: ## render data/out/*.xlsx as PDF and PNG pages in docs/preview (installs LibreOffice, poppler)
	@if ! command -v libreoffice >/dev/null 2>&1 || ! command -v pdftoppm >/dev/null 2>&1; then \
	  echo "installing libreoffice-calc-nogui and poppler-utils (Debian packages)"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends \
	    libreoffice-calc-nogui poppler-utils fonts-liberation2 || exit 1; \
	fi
	@ls data/out/priority-*.xlsx >/dev/null 2>&1 || $(MAKE) run
	rm -rf $(PREVIEW_DIR) && mkdir -p $(PREVIEW_DIR)
	libreoffice --headless --norestore -env:UserInstallation=file://$(CURDIR)/$(PREVIEW_DIR)/.profile \
	  --convert-to pdf --outdir $(PREVIEW_DIR) data/out/priority-*.xlsx
	@for pdf in $(PREVIEW_DIR)/*.pdf; do pdftoppm -r 80 -png "$$pdf" "$${pdf%.pdf}"; done
	@rm -rf $(PREVIEW_DIR)/.profile
	@echo "$$(ls $(PREVIEW_DIR)/*.png | wc -l) pages in $(PREVIEW_DIR): look at them (charts drawn, nothing cut off)"

clean: ## remove build output and the generated warehouse and exports
	rm -rf bin data/warehouse.duckdb* data/.warehouse* data/out
