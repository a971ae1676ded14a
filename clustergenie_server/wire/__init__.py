"""The wire format: protobuf <-> domain conversion, shared by rpc/ and bus/ (and Loki's push body,
read by services/logs/loki_push.py); it imports nothing above it."""
