import { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { deleteProductsWorkflow } from "@medusajs/medusa/core-flows"
import { writeResult } from "./lib/result"

// A new store that asked for no demo data keeps everything checkout needs
// (region, taxes, stock location, shipping) and loses the demo products.
// bootstrap runs it only on a database it has just restored or seeded.
export default async function removeDemoCatalogue({ container }: ExecArgs) {
  const productModule = container.resolve(Modules.PRODUCT)
  const products = await productModule.listProducts({}, { select: ["id"] })
  if (products.length > 0) {
    await deleteProductsWorkflow(container).run({
      input: { ids: products.map((product) => product.id) },
    })
  }
  writeResult({ removed_products: products.length })
}
