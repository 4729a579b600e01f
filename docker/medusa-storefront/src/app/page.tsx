import { ProductCard } from "@/components/ProductCard"
import { getRegion, listProducts } from "@/lib/store"

export default async function ProductGrid() {
  const region = await getRegion()
  const products = await listProducts(region.id)
  return (
    <section>
      <h1>Shop</h1>
      {products.length === 0 ? (
        <p>No products yet.</p>
      ) : (
        <div className="product-grid" data-testid="product-grid">
          {products.map((product) => (
            <ProductCard key={product.id} product={product} />
          ))}
        </div>
      )}
    </section>
  )
}
