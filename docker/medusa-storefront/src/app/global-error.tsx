"use client"

// Last resort when even the layout fails: a page of its own, no crash.
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body>
        <section data-testid="error-page">
          <h1>The store is unavailable right now</h1>
          <p>Please try again in a moment.</p>
          <button type="button" onClick={() => reset()}>
            Try again
          </button>
        </section>
      </body>
    </html>
  )
}
