#!/bin/sh
# lib.sh - shared helpers for CLI tests (not written yet)
