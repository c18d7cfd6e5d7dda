"""Tools for testing and benchmarking the harvester, kept out of the runtime package: the
synthetic-mirror generator (`synth/`) behind `harvester mirror synth|mutate`. It ships in the
same distribution; its libraries come with the `synth` extra."""
