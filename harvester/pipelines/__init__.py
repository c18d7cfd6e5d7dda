"""Item pipelines, one job each: normalise → validate → de-duplicate → publish."""
