import { writeSync } from "node:fs"

// Medusa logs to stdout, so a script's machine-readable answer travels on a
// separate descriptor that the entry point opens (fd 3); run by hand, the
// answer goes to stdout instead.
export function writeResult(result: Record<string, unknown>): void {
  const fd = Number(process.env.STOREFLEET_RESULT_FD || 1)
  writeSync(fd, JSON.stringify(result) + "\n")
}

export function requiredEnv(name: string): string {
  const value = process.env[name]
  if (!value) {
    throw new Error(`${name} must be set`)
  }
  return value
}
