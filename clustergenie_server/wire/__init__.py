"""The wire format: protobuf <-> domain conversion, shared by rpc/ and bus/ (nothing above it)."""
