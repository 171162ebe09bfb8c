// Starts a real Bluesky PDS (the reference @atproto/pds) and an in-memory PLC
// directory, both on 127.0.0.1 only, for the posting tests.
//
// Usage: node start.mjs <data-dir>
// Prints one JSON line {"url": ..., "plc": ...} on stdout once the PDS answers,
// and stops both servers when stdin closes (the test process ended) or on SIGTERM.
import { createRequire } from 'node:module'
import { randomBytes } from 'node:crypto'
import net from 'node:net'
import path from 'node:path'
import fs from 'node:fs'

const require = createRequire(path.join(process.cwd(), 'package.json'))
const { PDS, envToCfg, envToSecrets, readEnv } = require('@atproto/pds')
const plc = require('@did-plc/server')

// Both servers bind to every interface by default: make them listen on loopback only.
function loopbackOnly(app) {
  const listen = app.listen.bind(app)
  app.listen = (port, ...rest) => listen(port, '127.0.0.1', ...rest)
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

const dataDir = path.resolve(process.argv[2] || fs.mkdtempSync('/tmp/pds-'))
fs.mkdirSync(path.join(dataDir, 'blobs'), { recursive: true })

const plcServer = plc.PlcServer.create({ db: plc.Database.mock(), port: await freePort() })
loopbackOnly(plcServer.app)
const plcHttp = await plcServer.start()
const plcPort = plcHttp.address().port

const port = await freePort()
const hex = () => randomBytes(32).toString('hex')
Object.assign(process.env, {
  PDS_HOSTNAME: 'localhost',
  PDS_PORT: String(port),
  PDS_DATA_DIRECTORY: dataDir,
  PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDir, 'blobs'),
  // A host name, not an IP literal: the PDS refuses those here.
  PDS_DID_PLC_URL: `http://localhost:${plcPort}`,
  PDS_JWT_SECRET: hex(),
  PDS_ADMIN_PASSWORD: hex(),
  PDS_DPOP_SECRET: hex(),
  PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: hex(),
  PDS_INVITE_REQUIRED: 'false',
  PDS_DEV_MODE: 'true',
  PDS_RATE_LIMITS_ENABLED: 'false',
  PDS_CRAWLERS: '',
  LOG_ENABLED: 'false',
})
const env = readEnv()
const pds = await PDS.create(envToCfg(env), envToSecrets(env))
loopbackOnly(pds.app)
await pds.start()

const url = `http://127.0.0.1:${port}`
for (let i = 0; i < 100; i++) {
  try {
    const res = await fetch(`${url}/xrpc/_health`)
    if (res.ok) break
  } catch {}
  await new Promise((r) => setTimeout(r, 100))
}
process.stdout.write(JSON.stringify({ url, plc: `http://127.0.0.1:${plcPort}` }) + '\n')

let stopping = false
async function stop() {
  if (stopping) return
  stopping = true
  await pds.destroy().catch(() => {})
  await plcServer.destroy().catch(() => {})
  process.exit(0)
}
process.stdin.on('end', stop)
process.stdin.on('close', stop)
process.stdin.resume()
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
