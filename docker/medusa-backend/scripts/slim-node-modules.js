#!/usr/bin/env node
// Removes from an app directory's node_modules what the running store never
// loads, after `npm prune --omit=dev`. Usage: slim-node-modules.js APP_DIR
//
// 1. Packages: only those reachable from the app's package.json through
//    dependencies, optional and peer dependencies stay, and the walk does not
//    enter BUILD_ONLY, packages other packages list although the store never
//    loads them (the admin toolchain, compilers, unused integrations).
// 2. Files: source maps, type declarations, TypeScript sources and
//    documentation; licences stay.
// Prints one summary line on stderr.
"use strict"

const fs = require("node:fs")
const path = require("node:path")

// Each with why the running store does without it. A package one of these
// pulled in goes with it unless something kept needs it too.
const BUILD_ONLY = {
  // The admin is built into public/admin by `medusa build`; at run time
  // @medusajs/admin-bundler only serves those files (its serve() needs
  // express and compression, never vite or the dashboard's sources).
  "@medusajs/dashboard": "admin sources, built into public/admin",
  "@medusajs/admin-vite-plugin": "admin build",
  vite: "admin build",
  "@vitejs/plugin-react": "admin build",
  tailwindcss: "admin build",
  autoprefixer: "admin build",
  postcss: "admin build",
  // The app is compiled JavaScript; NODE_ENV=production keeps the CLI from
  // registering ts-node.
  typescript: "compiler (medusa build)",
  "@swc/core": "compiler (medusa develop)",
  // Loaded only by registerOtel() from an instrumentation file, which this
  // app does not have; @opentelemetry/api stays.
  "@opentelemetry/sdk-node": "OpenTelemetry SDK, no instrumentation file",
  "@opentelemetry/sdk-trace-node": "OpenTelemetry SDK, no instrumentation file",
  "@opentelemetry/resources": "OpenTelemetry SDK, no instrumentation file",
  "@opentelemetry/instrumentation-pg": "OpenTelemetry SDK, no instrumentation file",
  // Session store only with projectConfig.sessionOptions.dynamodbOptions;
  // sessions are in Redis.
  "@aws-sdk/client-dynamodb": "DynamoDB session store, not configured",
  "connect-dynamodb": "DynamoDB session store, not configured",
  // The MikroORM command line (its banner fonts are 21 MB); Medusa migrates
  // through its own commands.
  "@mikro-orm/cli": "MikroORM command line, not used",
  "@jercle/yargonaut": "MikroORM command line banner, not used",
  // A provider this app does not configure: files stay with the local provider.
  "@medusajs/file-s3": "S3 file provider, not configured",
}

// Packages that stay while their dependencies do not: what they require at
// run time is none of them.
const WITHOUT_DEPENDENCIES = {
  // Its server part is an empty plugin; its dependencies serve its admin
  // extension, bundled into public/admin by `medusa build`.
  "@medusajs/draft-order": "admin extension only",
}

// Files no running process reads (maps are only read with
// --enable-source-maps). Licences stay, whatever their extension.
const REMOVED_FILE = /(\.map|\.d\.[cm]?ts|(?<!\.d)\.[cm]?ts|\.tsx|\.tsbuildinfo|\.md|\.markdown)$/i
const LICENCE = /^(licen[cs]e|notice|copying|authors)/i

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"))
}

// Node's lookup: node_modules of the package itself, then of each directory
// above it, up to the app.
function resolvePackage(appDir, fromDir, name) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name)
    if (fs.existsSync(path.join(candidate, "package.json"))) {
      return candidate
    }
    if (dir === appDir || dir === path.dirname(dir)) {
      return null
    }
  }
}

// Optional peers are by definition packages the package works without.
function dependencyNames(manifest) {
  const optionalPeer = (name) => Boolean((manifest.peerDependenciesMeta || {})[name]?.optional)
  return [
    ...Object.keys(manifest.dependencies || {}),
    ...Object.keys(manifest.optionalDependencies || {}),
    ...Object.keys(manifest.peerDependencies || {}).filter((name) => !optionalPeer(name)),
  ]
}

function reachablePackages(appDir) {
  const kept = new Set()
  const queue = [appDir]
  while (queue.length > 0) {
    const dir = queue.pop()
    const manifest = readJson(path.join(dir, "package.json"))
    if (manifest.name in WITHOUT_DEPENDENCIES) {
      continue
    }
    for (const name of dependencyNames(manifest)) {
      if (name in BUILD_ONLY) {
        continue
      }
      const found = resolvePackage(appDir, dir, name)
      if (found && !kept.has(found)) {
        kept.add(found)
        queue.push(found)
      }
    }
  }
  return kept
}

// Every installed package directory: node_modules/<name>, node_modules/@scope/<name>,
// and the same below each package's own node_modules.
function installedPackages(nodeModules, found = []) {
  if (!fs.existsSync(nodeModules)) {
    return found
  }
  for (const entry of fs.readdirSync(nodeModules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) {
      continue
    }
    const dirs = entry.name.startsWith("@")
      ? fs
          .readdirSync(path.join(nodeModules, entry.name), { withFileTypes: true })
          .filter((scoped) => scoped.isDirectory())
          .map((scoped) => path.join(nodeModules, entry.name, scoped.name))
      : [path.join(nodeModules, entry.name)]
    for (const dir of dirs) {
      found.push(dir)
      installedPackages(path.join(dir, "node_modules"), found)
    }
  }
  return found
}

function sizeOf(target) {
  const stat = fs.lstatSync(target)
  if (!stat.isDirectory()) {
    return stat.size
  }
  let total = 0
  for (const entry of fs.readdirSync(target)) {
    total += sizeOf(path.join(target, entry))
  }
  return total
}

function removeFiles(dir, removed = { files: 0, bytes: 0 }) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const target = path.join(dir, entry.name)
    if (entry.isDirectory()) {
      removeFiles(target, removed)
    } else if (entry.isFile() && REMOVED_FILE.test(entry.name) && !LICENCE.test(entry.name)) {
      removed.bytes += fs.statSync(target).size
      removed.files += 1
      fs.rmSync(target)
    }
  }
  return removed
}

// Links in .bin directories to removed packages, and emptied scope directories.
function removeDangling(nodeModules) {
  for (const dir of [nodeModules, ...installedPackages(nodeModules).map((p) => path.join(p, "node_modules"))]) {
    const bin = path.join(dir, ".bin")
    if (fs.existsSync(bin)) {
      for (const link of fs.readdirSync(bin)) {
        if (!fs.existsSync(path.join(bin, link))) {
          fs.rmSync(path.join(bin, link))
        }
      }
    }
    if (!fs.existsSync(dir)) {
      continue
    }
    for (const entry of fs.readdirSync(dir)) {
      const scope = path.join(dir, entry)
      if (entry.startsWith("@") && fs.readdirSync(scope).length === 0) {
        fs.rmdirSync(scope)
      }
    }
  }
}

function main() {
  const appDir = path.resolve(process.argv[2] || "")
  const nodeModules = path.join(appDir, "node_modules")
  if (!fs.existsSync(path.join(appDir, "package.json")) || !fs.existsSync(nodeModules)) {
    throw new Error(`usage: slim-node-modules.js APP_DIR (a directory with package.json and node_modules)`)
  }
  const kept = reachablePackages(appDir)
  let packages = 0
  let packageBytes = 0
  // Deepest first, so a removed parent never hides a nested package from the count.
  for (const dir of installedPackages(nodeModules).reverse()) {
    if (!kept.has(dir) && fs.existsSync(dir)) {
      packageBytes += sizeOf(dir)
      packages += 1
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }
  // npm's record of the full install would list what is gone.
  fs.rmSync(path.join(nodeModules, ".package-lock.json"), { force: true })
  removeDangling(nodeModules)
  const files = removeFiles(nodeModules)
  const mb = (bytes) => (bytes / 2 ** 20).toFixed(0)
  process.stderr.write(
    `slim-node-modules: removed ${packages} packages (${mb(packageBytes)} MB) and ` +
      `${files.files} files (${mb(files.bytes)} MB); ${kept.size} packages kept\n`
  )
}

main()
