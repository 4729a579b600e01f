// Liveness of the storefront process itself; it does not call the backend,
// so a backend outage shows the error page rather than restarting this pod.
export function GET() {
  return Response.json({ status: "ok" })
}

export const dynamic = "force-dynamic"
