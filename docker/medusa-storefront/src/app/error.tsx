"use client"

// Shown instead of a crash when a page cannot be rendered, most often
// because the store's backend is unreachable.
export default function StoreError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <section className="error-page" data-testid="error-page">
      <h1>The store is unavailable right now</h1>
      <p>We could not load this page. Please try again in a moment.</p>
      <button type="button" onClick={() => reset()}>
        Try again
      </button>
    </section>
  )
}
