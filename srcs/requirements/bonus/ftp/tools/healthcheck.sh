#!/bin/sh
# Healthy when the FTP server listens on port 21 (0x0015, state 0A = LISTEN in /proc/net/tcp). It does
# not connect: every connection would be a session in the log, every few seconds.
exec awk '$2 ~ /:0015$/ && $4 == "0A" { found = 1 } END { exit !found }' /proc/net/tcp
